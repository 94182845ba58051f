#!/bin/sh
# Rebuilds the format fixtures from the gov.cn fragments in src/ (copied
# unchanged from ../shared/corpus/docs/state-council-policies-govcn/).
# Needs: python3, libreoffice-writer-nogui, fonts-noto-cjk, fonts-wqy-zenhei, poppler-utils,
# img2pdf (Debian 12). Run from this directory: sh make.sh
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=python3
$py make.py src/2018-11-27_content_5343832.html "$work/guohan-2018-144.fodt" --header "国务院文件"
$py make.py src/2018-11-28_content_5344146.html "$work/guobanfa-2018-109.fodt" --table
$py make.py src/2018-11-12_content_5339579.html "$work/guobanhan-2018-74.fodt" --table
$py make.py src/2018-11-28_content_5344150.html "$work/guohan-2018-145-wqy.fodt" --font "WenQuanYi Zen Hei"
$py make.py src/2018-11-28_content_5344150.html "$work/guohan-2018-145.fodt" --numbered
$py make.py src/2018-11-12_content_5339579.html "$work/guobanhan-2018-74-columns.fodt" --columns
$py make.py page src/2018-11-28_content_5344150.html guohan-2018-145.html
lo="libreoffice --headless -env:UserInstallation=file://$work/profile"
$lo --convert-to pdf --outdir "$work" "$work/guohan-2018-144.fodt" >/dev/null
$lo --convert-to docx --outdir "$work" "$work/guobanfa-2018-109.fodt" >/dev/null
$lo --convert-to odt --outdir "$work" "$work/guobanhan-2018-74.fodt" >/dev/null
$lo --convert-to pdf --outdir "$work" "$work/guobanhan-2018-74.fodt" >/dev/null
$lo --convert-to pdf --outdir "$work" "$work/guobanhan-2018-74-columns.fodt" >/dev/null
$lo --convert-to pdf --outdir "$work" "$work/guohan-2018-145-wqy.fodt" >/dev/null
$lo --convert-to docx --outdir "$work" "$work/guohan-2018-145.fodt" >/dev/null
$lo --convert-to odt --outdir "$work" "$work/guohan-2018-145.fodt" >/dev/null
# LibreOffice writes 8-bit font subsets; cairo rewrites them as CID fonts
# (Identity-H with ToUnicode maps).
pdftocairo -pdf "$work/guohan-2018-145-wqy.pdf" guohan-2018-145-cid.pdf
cp "$work/guohan-2018-144.pdf" "$work/guobanfa-2018-109.docx" "$work/guobanhan-2018-74.odt" "$work/guohan-2018-145.docx" "$work/guohan-2018-145.odt" "$work/guobanhan-2018-74-columns.pdf" .
# A scan: the first page rendered as a grey 72 dpi JPEG, wrapped as an
# image-only PDF.
pdftoppm -r 72 -gray -jpeg -jpegopt quality=50 -f 1 -l 1 "$work/guobanhan-2018-74.pdf" "$work/scan"
img2pdf -o scanned.pdf "$work"/scan*.jpg
# A PDF cut short in transfer: the first 6000 bytes of the good one.
head -c 6000 guohan-2018-144.pdf > corrupt.pdf
