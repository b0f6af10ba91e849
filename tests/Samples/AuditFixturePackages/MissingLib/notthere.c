/* Only linked against, never packed: its soname libnotthere.so.1 ends up in libneedsmissing.so's DT_NEEDED. */
int not_there(void) { return 1; }
