/// The page of `report.html` as Mustache templates (swift-mustache), in pieces that ``HTMLReportWriter`` renders one
/// after another into the file (a table's rows a few at a time), so the page is never held whole. Every value goes
/// in through `{{name}}`, which escapes `&`, `<`, `>`, `"` and `'`; no piece has a `{{{…}}}` or `{{&…}}` tag (a
/// test checks), so text from the manifest or the service can only ever be text. The markup is also well-formed
/// XML (void elements closed, no named entity but XML's own), so the tests read it back with an XML parser.
///
/// Self-contained: inline CSS, inline SVG, no script, no font, image or style sheet fetched from anywhere.
enum HTMLTemplate {
    /// The page up to its first table: the head, the figures and the attention list.
    static let top = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="ttusage {{toolVersion}}"/>
        <title>{{title}}, {{period}}</title>
        <style>
        :root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --band: #f5f7fa; --accent: #2f6fb0;
          --warn: #b44d12; --warn-bg: #fff4e5; --flag-bg: #fff1c2; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #ffffff;
          font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1040px; margin: 0 auto; padding: 20px 16px 40px; }
        header.report { border-bottom: 3px solid var(--accent); padding-bottom: 10px; margin-bottom: 18px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        .meta { color: var(--muted); margin: 0; }
        .period { font-size: 17px; font-weight: 600; color: var(--ink); }
        .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 0;
          padding: 0; list-style: none; }
        .figures li { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--band); }
        .figures .label { display: block; color: var(--muted); font-size: 13px; }
        .figures .value { display: block; font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
        .figures .note { display: block; color: var(--muted); font-size: 12px; }
        .figures li.warn { background: var(--warn-bg); border-color: #f0b37e; }
        .figures li.warn .value { color: var(--warn); }
        ul.attention { list-style: none; margin: 0; padding: 0; }
        ul.attention li { padding: 7px 10px; border-left: 4px solid var(--warn); background: var(--warn-bg);
          margin-bottom: 6px; border-radius: 0 4px 4px 0; }
        ul.attention li.flag, ul.attention li.alert { border-left-color: #c99a06; background: var(--flag-bg); }
        ul.attention li.anomaly { border-left-color: var(--warn); background: var(--warn-bg); }
        ul.attention li.more { border-left-color: var(--line); background: transparent; }
        ul.attention .tag { display: inline-block; font-size: 11px; font-weight: 700; text-transform: uppercase;
          letter-spacing: 0.03em; padding: 1px 6px; margin-right: 6px; border-radius: 3px;
          background: rgba(0, 0, 0, 0.07); }
        ul.attention .subject { font-weight: 600; }
        ul.attention .detail { color: var(--ink); }
        p.none { color: var(--muted); }
        .scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 0 0 6px; }
        table { border-collapse: collapse; font-size: 13px; min-width: 50%; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 650; padding: 4px 0; }
        th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top;
          white-space: nowrap; }
        th { background: #e4ecf5; }
        td.n, th.n { text-align: right; }
        tbody tr:nth-child(even) td { background: var(--band); }
        tbody tr.flagged td { background: var(--flag-bg); }
        tr.subtotal td { font-weight: 600; background: #edf1f6; }
        tfoot td { font-weight: 700; border-top: 2px solid var(--ink); }
        p.note, p.caption { color: var(--muted); font-size: 13px; margin: 2px 0 12px; }
        figure { margin: 14px 0; }
        svg.chart { width: 100%; height: auto; display: block; }
        svg.chart text { font-size: 12px; fill: var(--muted); }
        svg.chart text.name { fill: var(--ink); }
        svg.chart .axis { stroke: #9aa5b1; stroke-width: 1; }
        svg.chart .grid { stroke: var(--line); stroke-width: 1; }
        svg.chart .mark { stroke: var(--warn); stroke-width: 1; stroke-dasharray: 4 3; }
        svg.chart text.mark { fill: var(--warn); stroke: none; }
        svg.chart .series { fill: none; stroke: var(--accent); stroke-width: 2; }
        svg.chart .day { fill: var(--accent); }
        svg.chart .day.none { fill: #ffffff; stroke: #9aa5b1; }
        svg.chart .bar { fill: var(--accent); }
        svg.chart .bar.flagged { fill: var(--warn); }
        footer.report { margin-top: 30px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line);
          padding-top: 8px; }
        @media (max-width: 600px) {
          body { font-size: 14px; }
          main { padding: 12px 10px 30px; }
          h1 { font-size: 20px; }
          .figures { grid-template-columns: repeat(2, 1fr); }
          .figures .value { font-size: 18px; }
          figure .scroll svg.chart { min-width: 560px; }
        }
        @page { size: A4; margin: 14mm 12mm; }
        @media print {
          body { font-size: 10pt; }
          main { max-width: none; padding: 0; }
          .scroll { overflow: visible; }
          table { font-size: 8pt; }
          th, td { padding: 2px 4px; white-space: normal; overflow-wrap: anywhere; }
          table { width: 100%; }
          svg.chart { max-height: 80mm; }
          h2 { break-after: avoid; }
          tr, figure, .figures li, ul.attention li { break-inside: avoid; }
          thead { display: table-header-group; }
        }
        </style>
        </head>
        <body>
        <main>
        <header class="report">
        <h1>{{title}}{{#hasCompany}}, {{company}}{{/hasCompany}}</h1>
        <p class="meta"><span class="period">{{period}}</span> · template {{template}} · environment {{environment}}</p>
        {{#hasPurpose}}<p class="meta">{{purpose}}</p>{{/hasPurpose}}
        </header>

        <section id="totals">
        <h2>At a glance</h2>
        <ul class="figures">
        {{#figures}}<li class="figure{{#warn}} warn{{/warn}}"><span class="label">{{label}}</span><span class="value">{{value}}</span><span class="note">{{note}}</span></li>
        {{/figures}}</ul>
        </section>

        <section id="attention">
        <h2>Needs attention</h2>
        {{#hasAttention}}<ul class="attention">
        {{#attention}}<li class="{{kind}}"><span class="tag">{{tag}}</span> <span class="subject">{{subject}}</span>: <span class="detail">{{detail}}</span></li>
        {{/attention}}</ul>{{/hasAttention}}
        {{^hasAttention}}<p class="none">Nothing: every key is complete and nothing is flagged.</p>{{/hasAttention}}
        </section>


        """#

    /// The charts, between the leading tables (the invoices) and the others.
    static let charts = #"""


        <section id="charts">
        <h2>Charts</h2>
        {{#charts}}<figure class="chart {{id}}">
        <div class="scroll"><svg class="chart" id="chart-{{id}}" viewBox="{{viewBox}}" role="img" aria-label="{{title}}">
        <title>{{title}}</title>
        {{#lines}}<line class="{{kind}}" x1="{{x1}}" y1="{{y1}}" x2="{{x2}}" y2="{{y2}}"/>
        {{/lines}}{{#hasPath}}<path class="series" d="{{path}}"/>
        {{/hasPath}}{{#rects}}<rect class="{{kind}}" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"><title>{{title}}</title></rect>
        {{/rects}}{{#points}}<circle class="{{kind}}" cx="{{cx}}" cy="{{cy}}" r="2.5"><title>{{title}}</title></circle>
        {{/points}}{{#labels}}<text class="{{kind}}" x="{{x}}" y="{{y}}" text-anchor="{{anchor}}">{{text}}</text>
        {{/labels}}</svg></div>
        <figcaption><p class="caption"><strong>{{title}}.</strong> {{caption}}</p></figcaption>
        </figure>
        {{/charts}}
        </section>


        """#

    /// The page after its last table.
    static let bottom = #"""


        <footer class="report">Made by ttusage {{toolVersion}} on {{generated}} from TT's keyusage figures (UTC days).
        Every table here is also in the CSV files, report.json and report.xlsx beside this page.</footer>
        </main>
        </body>
        </html>

        """#

    /// A report table up to its first row: the title, a note when the table is cut (before the rows, where a reader
    /// sees it before scrolling), the header row.
    static let tableTop = #"""
        <section class="table" id="table-{{id}}">
        <h2>{{title}}</h2>{{#hasNote}}
        <p class="note cut" style="color: #1f2933; font-size: 14px; background: #eef4fb; border-left: 4px solid #2f6fb0; padding: 6px 10px;">{{notePrefix}}<strong>{{noteFile}}</strong>{{noteSuffix}}</p>{{/hasNote}}
        <div class="scroll">
        <table data-table="{{id}}">
        <thead><tr>{{#columns}}<th scope="col" data-column="{{id}}"{{#numeric}} class="n"{{/numeric}}>{{header}}</th>{{/columns}}</tr></thead>
        <tbody>

        """#

    /// Data and subtotal rows of a table, rendered a few at a time.
    static let tableRows = #"""
        {{#rows}}<tr class="{{kind}}{{#flagged}} flagged{{/flagged}}">{{#cells}}<td data-column="{{column}}" data-value="{{value}}"{{#numeric}} class="n"{{/numeric}}>{{text}}</td>{{/cells}}</tr>
        {{/rows}}
        """#

    /// A table after its last row: the footer (grand totals) and, for a cut table, the note again.
    static let tableBottom = #"""
        </tbody>
        {{#hasFooter}}<tfoot>
        {{#footer}}<tr class="{{kind}}">{{#cells}}<td data-column="{{column}}" data-value="{{value}}"{{#numeric}} class="n"{{/numeric}}>{{text}}</td>{{/cells}}</tr>
        {{/footer}}</tfoot>{{/hasFooter}}
        </table>
        </div>
        {{#hasNote}}<p class="note">{{notePrefix}}<strong>{{noteFile}}</strong>{{noteSuffix}}</p>{{/hasNote}}
        </section>

        """#

    /// Every piece, in the order a page uses them.
    static let all = [top, tableTop, tableRows, tableBottom, charts, bottom]
}
