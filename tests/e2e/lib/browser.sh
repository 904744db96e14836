# Opening a page in headless Chromium for the example tests (sourced after common.sh).
#   browser_open URL NAME   renders URL (scripts run, fetches answered: a virtual-time budget
#                           lets the page settle), prints the DOM after scripts, and saves a
#                           screenshot as $ARTIFACTS/NAME.png and the DOM as $ARTIFACTS/NAME.html
# Chromium runs with a fresh, empty profile and everything that would reach the internet off
# (no sync, component updates, background requests or QUIC), so it talks only to URL.
: "${ARTIFACTS:=${WHARF_BUILD_DIR:-$WHARF_SOURCE_DIR/build}/artifacts}"

browser_open() {
  local url=$1 name=$2 profile out rc
  command -v chromium >/dev/null || fail "chromium is missing; run tools/setup"
  mkdir -p "$ARTIFACTS"
  profile=$(mktemp -d "$E2E_TMP/chromium-XXXXXX")
  out=$E2E_TMP/$name.dom.html
  set +e
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --no-default-browser-check --user-data-dir="$profile" \
    --window-size=1024,768 --virtual-time-budget=10000 \
    --screenshot="$ARTIFACTS/$name.png" --dump-dom "$url" >"$out" 2>"$E2E_TMP/$name.chromium.log"
  rc=$?
  set -e
  rm -rf "$profile"
  if [ "$rc" -ne 0 ] || [ ! -s "$out" ]; then
    tail -n 20 "$E2E_TMP/$name.chromium.log" >&2
    fail "chromium could not render $url (exit $rc)"
  fi
  [ -s "$ARTIFACTS/$name.png" ] || fail "chromium wrote no screenshot of $url"
  cp "$out" "$ARTIFACTS/$name.html"
  cat "$out"
}
