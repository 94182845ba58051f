#!/usr/bin/env bash
# Rebuilds ../web/vendor/echarts.min.js, the minimal Apache ECharts bundle
# the compare page loads, from the npm registry at the versions pinned in
# package.json and package-lock.json. Needs node and npm; the Go build does
# not run this: the output is committed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
npm ci --no-audit --no-fund
out=../web/vendor
mkdir -p "$out"
version=$(node -p 'require("echarts/package.json").version')
npx esbuild entry.js --bundle --minify --format=iife --target=es2019 \
  --legal-comments=none --log-level=warning \
  --banner:js="/*! Apache ECharts ${version} (bar, line, grid, tooltip, legend, title, SVG renderer), Apache-2.0; includes ZRender, BSD-3-Clause. Built by search/server/echarts/build.sh. See echarts.LICENSE.txt */" \
  --outfile="$out/echarts.min.js"
{
  cat node_modules/echarts/LICENSE
  echo
  echo "----- NOTICE -----"
  cat node_modules/echarts/NOTICE
  echo
  echo "----- zrender LICENSE -----"
  cat node_modules/zrender/LICENSE
} > "$out/echarts.LICENSE.txt"
sha256sum "$out/echarts.min.js"
wc -c "$out/echarts.min.js"
