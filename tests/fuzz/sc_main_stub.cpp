// libsystemc.so references sc_main; the fuzz targets never start the SystemC kernel (libFuzzer
// owns main), so it is never called.
extern "C" int sc_main(int, char**) { return 0; }
