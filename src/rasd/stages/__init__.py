"""Pipeline stages: each turns normalised article text into one kind of finding."""
