#!/usr/bin/env bash
# Installs Debian's Chromium for the page's browser tests when it is missing (Playwright's own browser
# download cannot work on these machines), and prints its path. Run by .ci/run and by the test fixture
# (tests/Commons.Web.Tests), so `dotnet test` works on a fresh machine too.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "chromium.sh: installing Chromium from Debian's packages" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
echo /usr/bin/chromium
