"""Spiders of blogcrawl."""
