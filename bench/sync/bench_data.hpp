// The bench's reference data: 100,000 services in 1,000 categories, generated, and the same rows
// as COPY text so that every database (dev, prods, the floor) is loaded from one definition.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace pmc::bench {

struct Category {
  std::string name, description, icon;
};

struct Service {
  std::string name, description;
  std::size_t category;  // index into the categories; its id is index + 1 where loaded by COPY
  std::string base_price;
  bool is_active;
};

struct ReferenceData {
  std::vector<Category> categories;
  std::vector<Service> services;
};

ReferenceData generate(std::size_t categories, std::size_t services);

// How a prod differs from dev: every `stride`-th service is missing (dev creates it) and every
// `stride`-th one, offset by half a stride, has another price (dev updates it).
struct Difference {
  std::size_t stride = 20;  // 1 of 20 missing + 1 of 20 changed: 10% of the rows differ
  bool missing(std::size_t service) const { return service % stride == 0; }
  bool changed(std::size_t service) const { return service % stride == stride / 2; }
};

// COPY text (tab-separated) of service_categories (name, description, icon, "isActive").
std::string categories_copy_text(const ReferenceData& data);
// COPY text of services (name, description, "categoryId", "basePrice", "isActive"); with a
// Difference, the rows as that prod holds them.
std::string services_copy_text(const ReferenceData& data, const Difference* difference = nullptr);

}  // namespace pmc::bench
