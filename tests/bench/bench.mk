# make bench: load generator and comparison with lsof, lsfd, ss (not part of make check)
