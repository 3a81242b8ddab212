"""Work done ahead on the cores one pytest process leaves idle (:mod:`.ahead`)."""
