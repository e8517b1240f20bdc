int wrong_types_unit;
