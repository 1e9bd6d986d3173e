"""HTTP: access → form → action → redirect or template."""
