/* A DLL the test DLL imports, served from memory by the test's resolver (never from disk). */
#include <windows.h>

__declspec(dllexport) int pe_test_dep_twice(int value)
{
    return value * 2;
}
