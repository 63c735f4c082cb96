# Instrumented builds, off by default. PMC_SANITIZE: every target built and linked with
# AddressSanitizer and UndefinedBehaviorSanitizer, and any finding aborts the process (no
# recovery), so a test that triggers one fails. PMC_FUZZ: the same instrumentation plus libFuzzer's
# coverage, and the fuzz/ targets built (scripts/dev/test-sanitized.sh and bench/fuzz use them).
option(PMC_SANITIZE "Build everything with -fsanitize=address,undefined; any finding aborts" OFF)
option(PMC_FUZZ "Build the libFuzzer targets of fuzz/ (clang), everything instrumented" OFF)

if(PMC_SANITIZE OR PMC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "PMC_SANITIZE and PMC_FUZZ need clang (libFuzzer, and the sanitizers "
                        "as the project runs them); CMAKE_CXX_COMPILER is ${CMAKE_CXX_COMPILER}")
  endif()
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
if(PMC_FUZZ)
  # Coverage for libFuzzer in every library the targets link; the targets add -fsanitize=fuzzer.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
