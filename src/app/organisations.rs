//! Use cases of the organisations aggregate.
