#!/usr/bin/env python3
"""Writes N generated C++ units for the pmc-audit benchmark: ordinary application code (classes
with virtual methods, lambdas, templates, standard containers, some with nlohmann/json), a few
with a main() that reaches nothing the contract cares about."""
import os
import sys


def unit(index: int, total: int) -> str:
    uses_json = index % 2 == 0
    lines = [f"// Generated benchmark unit {index}: ordinary code with no database access."]
    lines += ["#include <algorithm>", "#include <functional>", "#include <map>", "#include <memory>",
              "#include <optional>", "#include <sstream>", "#include <string>", "#include <vector>"]
    if uses_json:
        lines.append("#include <nlohmann/json.hpp>")
    lines.append(f'#include "generated/unit_{(index + 1) % total}.hpp"')
    lines.append(f"namespace generated_{index} {{")
    lines.append("class Shape {\n public:\n  virtual ~Shape() = default;\n  virtual double area() const = 0;\n"
                 "  virtual std::string name() const { return \"shape\"; }\n};")
    for k in range(6):
        lines.append(f"class Shape{k} : public Shape {{\n public:\n  explicit Shape{k}(double side) : side_(side) {{}}\n"
                     f"  double area() const override {{ return side_ * side_ * {k + 1}; }}\n"
                     f"  std::string name() const override {{ return \"shape{k}\"; }}\n private:\n  double side_;\n}};")
    lines.append("template <typename T>\nT clamp_all(std::vector<T> values, T low, T high) {\n"
                 "  std::transform(values.begin(), values.end(), values.begin(),\n"
                 "                 [&](T v) { return std::clamp(v, low, high); });\n"
                 "  T sum{};\n  for (const T& v : values) sum += v;\n  return sum;\n}")
    for k in range(24):
        lines.append(f"int step_{k}(int value) {{\n  std::vector<int> values(static_cast<std::size_t>(value % 7 + 3), {k});\n"
                     f"  std::map<std::string, int> counts;\n  for (int v : values) counts[std::to_string(v)] += v;\n"
                     f"  const int clamped = clamp_all(values, 0, {k + 5});\n"
                     f"  return clamped + static_cast<int>(counts.size()){' + step_' + str(k - 1) + '(value - 1)' if k > 0 else ''};\n}}")
    lines.append("std::string describe(const std::vector<std::unique_ptr<Shape>>& shapes) {\n  std::ostringstream out;\n"
                 "  for (const auto& shape : shapes) out << shape->name() << '=' << shape->area() << '\\n';\n  return out.str();\n}")
    if uses_json:
        lines.append("std::string as_json(int value) {\n  nlohmann::json document = {{\"value\", value}, {\"steps\", {1, 2, 3}}};\n"
                     "  document[\"name\"] = \"generated\";\n  return document.dump();\n}")
    lines.append(f"int run(int value) {{\n  std::vector<std::unique_ptr<Shape>> shapes;\n"
                 f"  shapes.push_back(std::make_unique<Shape0>(value));\n  shapes.push_back(std::make_unique<Shape3>(value));\n"
                 f"  const std::function<int(int)> next = [](int v) {{ return step_23(v); }};\n"
                 f"  return next(value) + static_cast<int>(describe(shapes).size()) + generated_{(index + 1) % total}_entry(value);\n}}")
    lines.append(f"}}  // namespace generated_{index}")
    lines.append(f"int generated_{index}_entry(int value) {{ return value > 0 ? value : generated_{index}::step_0(value); }}")
    if index % 10 == 0:
        lines.append(f"int main(int argc, char**) {{ return generated_{index}::run(argc) > 0 ? 0 : 1; }}")
    return "\n".join(lines) + "\n"


def header(index: int) -> str:
    return (f"// Generated benchmark header {index}.\n#pragma once\n"
            f"int generated_{index}_entry(int value);\n")


def main() -> None:
    root, count = sys.argv[1], int(sys.argv[2])
    os.makedirs(os.path.join(root, "generated"), exist_ok=True)
    for index in range(count):
        with open(os.path.join(root, "generated", f"unit_{index}.cpp"), "w") as out:
            out.write(unit(index, count))
        with open(os.path.join(root, "generated", f"unit_{index}.hpp"), "w") as out:
            out.write(header(index))


if __name__ == "__main__":
    main()
