//! Use cases of the calls aggregate.
