import Mustache

// The page's rows and cells hand their members to the template by name: swift-mustache otherwise finds them
// through `Mirror`, which took nine tenths of the time of a large page (1,000 keys × 365 days: 4.0 s).

extension HTMLPage.Cell: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "value": value
        case "numeric": numeric
        case "column": column
        default: nil
        }
    }
}

extension HTMLPage.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "kind": kind
        case "flagged": flagged
        case "cells": cells
        default: nil
        }
    }
}

extension HTMLPage.Column: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "header": header
        case "numeric": numeric
        default: nil
        }
    }
}

extension HTMLPage.Table: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "columns": columns
        case "footer": footer
        case "hasFooter": hasFooter
        case "notePrefix": notePrefix
        case "noteFile": noteFile
        case "noteSuffix": noteSuffix
        case "hasNote": hasNote
        default: nil
        }
    }
}

extension HTMLPage.RowChunk: MustacheParent {
    func child(named name: String) -> Any? {
        name == "rows" ? rows : nil
    }
}
