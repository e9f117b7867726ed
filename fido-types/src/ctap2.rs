//! Hand-written behaviour on the generated CTAP2 types.
