"""HTTP for insights: access → form → action → redirect or template."""
