"""The HTML report's template, stylesheet and script, inlined into each report by
``syscope.sinks.report`` so that the page needs no network and no other file."""
