"""Page templates compiled by erdgen.render.precompiled."""
