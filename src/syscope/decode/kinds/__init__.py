"""The argument kinds, one module per family (strace keeps one file per syscall family); each
module registers its kinds in ``syscope.decode.registry`` when imported.  Nothing is imported
here: the registry imports a family when a plan first needs one of its kinds (kind_index.py
says which; ``registry.load_all()`` imports them all)."""
