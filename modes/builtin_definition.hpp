#pragma once
// The definition `outbound load` and `outbound check` use when no --definition is given: an
// Account message like the reference Notify ERP (name, number and billing address).
//   soap::definition d = builtin_account_definition();

#include "soap/definition.hpp"

namespace outbound::modes {

soap::definition builtin_account_definition();

}  // namespace outbound::modes
