import { defineFamilySuite } from "../support/family-suite.js";

defineFamilySuite("methods");
