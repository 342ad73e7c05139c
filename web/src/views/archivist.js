// Screens of the archivist group (placeholder until written).
import { route } from '../router.js';
