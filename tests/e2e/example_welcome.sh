#!/usr/bin/env bash
# examples/welcome in a browser: brought up (on a free port instead of 8080, through an
# override file, so a user's 8080 is never in the way), opened in headless Chromium, checked
# for its heading and text; the screenshot is kept in build/artifacts/welcome.png.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/examples.sh"
source "$(dirname "$0")/lib/browser.sh"
load_fixture
cd "$(example_copy welcome)"
export WEB_PORT
WEB_PORT=$(free_port)
cat >compose.override.yaml <<'YAML'
services:
  web:
    ports: !override
      - "127.0.0.1:${WEB_PORT}:80"
YAML

t0=$(now)
w compose up -d --wait >/dev/null
timing welcome "warm cache to ready (compose up --wait)" "$t0"
bridges=$(root_bridges)
expect_contains "$(http_get "http://127.0.0.1:$WEB_PORT/")" "<title>Welcome to wharf</title>" "page over HTTP"

dom=$(browser_open "http://127.0.0.1:$WEB_PORT/" welcome)
expect_contains "$dom" "<h1>Welcome to wharf</h1>" "heading in the rendered DOM"
expect_contains "$dom" "This page is served by busybox" "text in the rendered DOM"
echo "screenshot: $ARTIFACTS/welcome.png"

w compose down >/dev/null
expect_gone "$bridges" "$WEB_PORT"
echo ok
