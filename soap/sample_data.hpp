#pragma once
// Realistic, seeded values for a definition's fields (company and person names, account numbers,
// street addresses, cities, countries, emails, phones, dates, amounts), by field name and type.
//   random rng(7);
//   std::vector<field_value> v = sample_fields(def, rng);  // same seed, same values

#include <vector>

#include "common/random.hpp"
#include "soap/definition.hpp"
#include "soap/envelope.hpp"

namespace outbound::soap {

field_value sample_value(const field& f, random& rng);
std::vector<field_value> sample_fields(const definition& d, random& rng);

// A full message for `count` notifications of fresh records, as `outbound envelope` prints it.
message sample_message(const definition& d, std::size_t count, random& rng);

}  // namespace outbound::soap
