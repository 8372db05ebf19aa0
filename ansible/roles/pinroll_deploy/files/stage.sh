# stage.sh STATE NAME INDEX CHUNK — append one base64 chunk of a big file to STATE/incoming/NAME.b64 (a command
# line holds at most 128 KiB, so a 300 KB compose file travels in pieces; issue 8).
set -e
mkdir -p "$1/incoming"
if [ "$3" = 0 ]; then printf '%s' "$4" > "$1/incoming/$2.b64"; else printf '%s' "$4" >> "$1/incoming/$2.b64"; fi
