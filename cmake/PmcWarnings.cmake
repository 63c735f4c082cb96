# Warnings are on everywhere; in our own targets they are errors.
function(pmc_strict_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wimplicit-fallthrough -Werror)
endfunction()
