"""HTTP for talent: access → form → action → redirect or template."""
