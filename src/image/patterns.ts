// The shapes of tags, digests and platforms, each written once (issue 10: one rule, one place). The image
// reference parser, the CLI's input checks, the config schema and prune's protected tags all test against these.

/** A tag as the distribution spec allows it: a word character, then up to 127 of [\w.-]. */
export const TAG = /^[\w][\w.-]{0,127}$/;

/** Any content digest the spec allows (algorithm:encoded), as an image reference may carry it. */
export const ANY_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** The digest pinroll resolves, pins and records: sha256 and 64 hex. */
export const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** os/arch[/variant], e.g. linux/amd64 or linux/arm/v7. */
export const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

/** A release tag kept by prune: vX.Y.Z with an optional pre-release or build part. */
export const SEMVER_TAG = /^v\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/;

/** An environment tag moved by promote: env-<name>. */
export const ENV_TAG = /^env-\w+$/;

/** The environment names promote and promote_on_deploy accept (the <name> of env-<name>). */
export const ENV_NAME = /^\w+$/;
