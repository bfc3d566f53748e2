"""Knowledge bases (gazetteer, actors, triggers, cues): load data files, compile matchers, look up."""
