"""An example coplan plugin: a funder's rules, a report exporter and a template."""
