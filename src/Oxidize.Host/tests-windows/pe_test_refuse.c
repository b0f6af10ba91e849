/* A DLL whose DllMain refuses to attach: pe_loader_load must fail with a clear error and forget the module. */
#include <windows.h>

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    return reason != DLL_PROCESS_ATTACH;
}

__declspec(dllexport) int pe_test_refuse_never_called(void)
{
    return 1;
}
