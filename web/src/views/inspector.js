// Screens of the inspector group (placeholder until written).
import { route } from '../router.js';
