/* libgreetdep.so: a dependency of libgreet.so (DT_NEEDED), never called by the app directly. */
int greetdep_answer(void)
{
    return 42;
}

const char *greetdep_origin(void)
{
    return "libgreetdep";
}
