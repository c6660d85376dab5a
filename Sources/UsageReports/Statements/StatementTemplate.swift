/// `statement.html` as Mustache templates: a page that reads in a mail client and prints on A4. Mail clients
/// drop style sheets, SVG and scripts, so the layout is tables with inline styles, the chart is table cells, and
/// nothing is fetched from anywhere; the one `<style>` only sets the printed page. Every value goes in through
/// an escaping `{{…}}` tag (no `{{{…}}}` or `{{&…}}`), and the markup is well-formed XML.
enum StatementTemplate {
    static let page = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="ttusage {{toolVersion}}"/>
        <title>{{subject}}</title>
        <style>@page { size: A4; margin: 14mm 12mm; } tr { page-break-inside: avoid; } thead { display: table-header-group; }</style>
        </head>
        <body style="margin:0;padding:0;background:#ffffff;color:#1f2933;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.4">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse"><tr><td align="center" style="padding:16px 8px">
        <table role="presentation" width="680" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:680px;border-collapse:collapse;text-align:left">
        <tr><td style="border-bottom:3px solid #2f6fb0;padding:0 0 10px">
        <p style="margin:0;color:#616e7c;font-size:13px">TT API usage statement{{#hasCompany}} from {{company}}{{/hasCompany}}</p>
        <h1 style="margin:4px 0;font-size:22px">{{customer}}</h1>
        <p style="margin:0;font-size:15px;font-weight:bold">{{period}}</p>
        </td></tr>
        {{#hasWarnings}}<tr><td style="padding:14px 0 0">
        {{#warnings}}<p data-warning="" style="margin:0 0 6px;padding:8px 10px;background:#fff4e5;border-left:4px solid #b44d12;color:#1f2933">{{text}}</p>
        {{/warnings}}</td></tr>
        {{/hasWarnings}}<tr><td style="padding:14px 0 0">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse"><tr>
        {{#figures}}<td data-figure="{{label}}" style="padding:8px 10px;border:1px solid #d9e2ec;background:#f5f7fa"><span style="display:block;color:#616e7c;font-size:12px">{{label}}</span><span style="display:block;font-size:19px;font-weight:bold">{{value}}</span></td>
        {{/figures}}</tr></table>
        </td></tr>
        {{#tables}}{{> table}}{{/tables}}
        <tr><td style="padding:18px 0 0">
        <h2 style="margin:0 0 6px;font-size:17px;border-bottom:1px solid #d9e2ec;padding-bottom:3px">Calls per day</h2>
        <table data-chart="calls-per-day" role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;width:100%;table-layout:fixed">
        <tr>{{#bars}}<td title="{{title}}" data-date="{{date}}" data-value="{{value}}" style="vertical-align:bottom;height:{{chartHeight}}px;padding:0 1px;border-bottom:1px solid #9aa5b1"><div style="height:{{height}}px;background:{{color}};font-size:0;line-height:0">&#160;</div></td>{{/bars}}</tr>
        <tr>{{#bars}}<td style="font-size:9px;color:#616e7c;text-align:center;padding:2px 0 0">{{label}}</td>{{/bars}}</tr>
        </table>
        <p style="margin:4px 0 0;color:#616e7c;font-size:12px">{{chartCaption}}</p>
        </td></tr>
        {{#keyMonths}}{{> table}}{{/keyMonths}}
        {{#hasHoles}}{{#holes}}{{> table}}{{/holes}}{{/hasHoles}}
        <tr><td style="padding:24px 0 0;color:#616e7c;font-size:12px;border-top:1px solid #d9e2ec">Made by ttusage {{toolVersion}} on {{generated}} from TT's keyusage figures (UTC days). Every key's figure of every day is in statement.csv and statement.xlsx.</td></tr>
        </table>
        </td></tr></table>
        </body>
        </html>

        """#

    /// One table of the statement: a heading, a header row, rows with their background, totals below.
    static let table = #"""
        <tr><td style="padding:18px 0 0">
        <h2 style="margin:0 0 6px;font-size:17px;border-bottom:1px solid #d9e2ec;padding-bottom:3px">{{title}}</h2>
        <table data-table="{{id}}" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;width:100%;font-size:12px">
        <thead><tr>{{#columns}}<th data-column="{{id}}" style="padding:3px 6px;border:1px solid #d9e2ec;background:#e4ecf5;text-align:{{align}}">{{header}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}<tr style="background:{{background}}{{#bold}};font-weight:bold{{/bold}}">{{#cells}}<td data-value="{{value}}" style="padding:3px 6px;border:1px solid #d9e2ec;text-align:{{align}}">{{text}}</td>{{/cells}}</tr>
        {{/rows}}</tbody>
        {{#hasFooter}}<tfoot>
        {{#footer}}<tr style="background:{{background}};font-weight:bold">{{#cells}}<td data-value="{{value}}" style="padding:3px 6px;border:1px solid #d9e2ec;border-top:2px solid #1f2933;text-align:{{align}}">{{text}}</td>{{/cells}}</tr>
        {{/footer}}</tfoot>{{/hasFooter}}
        </table>
        {{#hasCaption}}<p style="margin:4px 0 0;color:#616e7c;font-size:12px">{{caption}}</p>{{/hasCaption}}
        </td></tr>

        """#
}
