# rules for tests/ (included from Makefile.am)
