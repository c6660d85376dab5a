#!/usr/bin/env bash
# Makes the pictures the README and docs/ show, from the demo's reports: report.html in headless Chromium at a desktop
# and a phone width, one customer's statement.html, and the workbook printed to PDF by LibreOffice, its pages as
# PNG (pdftoppm).
# Needs Debian's chromium, libreoffice-calc-nogui and poppler-utils (not needed by the build or the tests):
#   sudo apt-get install chromium libreoffice-calc-nogui poppler-utils
set -euo pipefail
cd "$(dirname "$0")/.."
out=samples/pictures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
swift build --product ttusage
for template in spreadsheet-handoff quota-audit monthly-billing; do
    .build/debug/ttusage demo --template "$template" --out "$work/$template" --quiet >/dev/null
done
shoot() { # page width height png
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
        --window-size="$2,$3" --screenshot="$4" "file://$1" >/dev/null 2>&1
}
shoot "$work/spreadsheet-handoff/report.html" 1200 2200 "$out/report-html-desktop.png"
shoot "$work/spreadsheet-handoff/report.html" 390 1800 "$out/report-html-phone.png"
shoot "$work/quota-audit/report.html" 1200 2000 "$out/report-html-audit.png"
.build/debug/ttusage render --input "$work/monthly-billing" --rates samples/rates.example.yaml --statements \
    --statement-from "TT Billing <billing@tt.example>" --company "TT Example Ltd" --out "$work/priced" --quiet
shoot "$work/priced/statements/acme-capital/statement.html" 760 1400 "$out/statement-html.png"
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$work/report-html.pdf" "file://$work/spreadsheet-handoff/report.html" >/dev/null 2>&1
pdftoppm -png -r 50 -f 1 -l 1 "$work/report-html.pdf" "$out/report-html-a4"
(cd "$work/spreadsheet-handoff" && libreoffice --headless --convert-to pdf report.xlsx >/dev/null 2>&1)
rm -f "$out"/report-xlsx-*.png
pdftoppm -png -r 60 "$work/spreadsheet-handoff/report.pdf" "$out/report-xlsx"
echo "workbook pages: $(pdfinfo "$work/spreadsheet-handoff/report.pdf" | awk '/^Pages/ {print $2}')"
ls -1 "$out"
