"""Pure formatters: a :class:`ReportData` in, text out; run on the controller only."""
