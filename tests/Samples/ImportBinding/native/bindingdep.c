/* libbindingdep.so: a packed library that libbinding.so needs (DT_NEEDED), mapped before it. */
int bindingdep_value(void)
{
    return 42;
}
