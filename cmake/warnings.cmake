# Compiler flags shared by every target (STYLE.md "Build, format, checks").
add_library(vouch_flags INTERFACE)
target_compile_options(vouch_flags INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wformat=2 -Wvla -Wwrite-strings -Wimplicit-fallthrough)
# POSIX.1-2008 with XSI for every file; a file that needs more says so itself
# (`#define _GNU_SOURCE /* pipe2 */` before its first include)
target_compile_definitions(vouch_flags INTERFACE _XOPEN_SOURCE=700)
if(VOUCH_WERROR)
    target_compile_options(vouch_flags INTERFACE -Werror)
endif()
if(VOUCH_SANITIZE)
    target_compile_options(vouch_flags INTERFACE -fsanitize=address,undefined
        -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(vouch_flags INTERFACE -fsanitize=address,undefined)
endif()
if(VOUCH_FUZZ)
    # coverage instrumentation for libFuzzer; harnesses link with -fsanitize=fuzzer
    target_compile_options(vouch_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined
        -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(vouch_flags INTERFACE -fsanitize=address,undefined)
endif()
if(VOUCH_HARDEN)
    target_compile_options(vouch_flags INTERFACE -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3
        -fstack-protector-strong -fstack-clash-protection -fcf-protection)
    # -fPIE: CMAKE_POSITION_INDEPENDENT_CODE (PIC objects, PIE executables)
    target_link_options(vouch_flags INTERFACE
        $<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:-pie> -Wl,-z,relro,-z,now
        -Wl,-z,noexecstack)
endif()
