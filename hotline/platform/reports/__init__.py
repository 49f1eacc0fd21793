"""Reports and analytics (issue 14): interval rows kept up as calls and tickets change, the report service,
exports, the IVR funnel and the site manager's dashboard. See docs/reports.md."""
