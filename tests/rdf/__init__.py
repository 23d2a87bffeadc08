"""Tests of kgraph.rdf (a package so that module names do not clash with other test folders)."""
