// Generates the bench's rows and renders them as COPY text.
#include "bench_data.hpp"

#include <cstdio>

namespace pmc::bench {
namespace {

std::string numbered(const char* format, std::size_t number) {
  char text[64];
  std::snprintf(text, sizeof text, format, number);
  return text;
}

std::string price(std::size_t cents) {
  return std::to_string(cents / 100) + "." + numbered("%02zu", cents % 100);
}

}  // namespace

ReferenceData generate(std::size_t categories, std::size_t services) {
  ReferenceData data;
  data.categories.reserve(categories);
  for (std::size_t i = 0; i < categories; ++i) {
    data.categories.push_back({numbered("Category %04zu", i),
                               numbered("Everything of kind %zu, done at home", i),
                               numbered("icon-%zu", i % 40)});
  }
  data.services.reserve(services);
  for (std::size_t i = 0; i < services; ++i) {
    data.services.push_back({numbered("Service %06zu", i),
                             numbered("Service number %zu, booked by the hour", i), i % categories,
                             price(1000 + (i * 37) % 50000), i % 7 != 0});
  }
  return data;
}

std::string categories_copy_text(const ReferenceData& data) {
  std::string text;
  for (const Category& category : data.categories) {
    text += category.name + '\t' + category.description + '\t' + category.icon + "\tt\n";
  }
  return text;
}

std::string services_copy_text(const ReferenceData& data, const Difference* difference) {
  std::string text;
  text.reserve(data.services.size() * 80);
  for (std::size_t i = 0; i < data.services.size(); ++i) {
    const Service& service = data.services[i];
    if (difference != nullptr && difference->missing(i)) continue;
    const std::string base_price =
        difference != nullptr && difference->changed(i) ? "1.00" : service.base_price;
    text += service.name + '\t' + service.description + '\t' +
            std::to_string(service.category + 1) + '\t' + base_price + '\t' +
            (service.is_active ? "t" : "f") + '\n';
  }
  return text;
}

}  // namespace pmc::bench
