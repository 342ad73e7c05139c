// Screens of the admin group (placeholder until written).
import { route } from '../router.js';
