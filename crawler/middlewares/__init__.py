"""Downloader middlewares of blogcrawl."""
