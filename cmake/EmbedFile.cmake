# cmake -DINPUT=file -DOUTPUT=file.cpp -DNAMESPACE=ns -DSYMBOL=name -P EmbedFile.cmake
# Writes a C++ source defining `const char SYMBOL[]` (NUL-terminated) and `SYMBOL Size`.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(('[^']*',){16})" "\\1\n  " bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} at build time; do not edit.\n#include <cstddef>\nnamespace ${NAMESPACE} {\nextern const char ${SYMBOL}[];\nextern const std::size_t ${SYMBOL_SIZE};\nconst char ${SYMBOL}[] = {\n  ${bytes}'\\0'};\nconst std::size_t ${SYMBOL_SIZE} = ${size};\n}  // namespace ${NAMESPACE}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
