"""The FCR's oversight: dip-sample audits, recording audits of incidents, reports and the inspection pack."""
