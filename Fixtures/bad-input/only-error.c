#error this unit must not be compiled
