//! Use cases of the reference aggregate.
