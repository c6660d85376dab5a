import Mustache

// The page's parts hand their members to the template by name rather than through `Mirror`, as report.html's
// do: a thousand statements are rendered in one run.

extension StatementPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "subject": subject
        case "customer": customer
        case "period": period
        case "company": company
        case "hasCompany": hasCompany
        case "warnings": warnings
        case "hasWarnings": hasWarnings
        case "figures": figures
        case "tables": tables
        case "bars": bars
        case "chartHeight": StatementPage.chartHeight
        case "chartCaption": chartCaption
        case "keyMonths": keyMonths
        case "holes": holes
        case "hasHoles": hasHoles
        case "generated": generated
        case "toolVersion": toolVersion
        default: nil
        }
    }
}

extension StatementPage.Text: MustacheParent {
    func child(named name: String) -> Any? { name == "text" ? text : nil }
}

extension StatementPage.Figure: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "value": value
        default: nil
        }
    }
}

extension StatementPage.Column: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "header": header
        case "align": align
        default: nil
        }
    }
}

extension StatementPage.Cell: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "value": value
        case "align": align
        default: nil
        }
    }
}

extension StatementPage.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "cells": cells
        case "background": background
        case "bold": bold
        default: nil
        }
    }
}

extension StatementPage.Table: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "caption": caption
        case "hasCaption": !caption.isEmpty
        case "columns": columns
        case "rows": rows
        case "footer": footer
        case "hasFooter": hasFooter
        default: nil
        }
    }
}

extension StatementPage.Bar: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "date": date
        case "value": value
        case "title": title
        case "height": height
        case "color": color
        case "label": label
        default: nil
        }
    }
}
